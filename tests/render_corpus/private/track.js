document.title='tracked';
