// 朝前科技 官网脚本：导航高亮与返回顶部
(function () {
  var links = document.querySelectorAll('.nav a');
  for (var i = 0; i < links.length; i++) {
    if (links[i].pathname === location.pathname) { links[i].parentNode.className = 'on'; }
  }
})();
